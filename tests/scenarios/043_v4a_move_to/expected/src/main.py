from lib.helpers import helper
