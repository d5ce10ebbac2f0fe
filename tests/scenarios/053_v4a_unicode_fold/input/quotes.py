MESSAGE = "It's done"
TITLE = "Report - final"
