"""The 自评报告: narrative, exports and the figure check of hand-written reports."""
