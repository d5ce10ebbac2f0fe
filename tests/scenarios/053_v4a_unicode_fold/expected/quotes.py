MESSAGE = "It's finished"
TITLE = "Report - final"
