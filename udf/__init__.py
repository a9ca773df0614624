"""jixiao.udf — see README."""
