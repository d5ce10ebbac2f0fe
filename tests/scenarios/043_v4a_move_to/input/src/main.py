from helpers import helper
