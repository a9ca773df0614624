"""jixiao.addin — see README."""
