KEEP = True
