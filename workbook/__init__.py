"""jixiao.workbook — see README."""
