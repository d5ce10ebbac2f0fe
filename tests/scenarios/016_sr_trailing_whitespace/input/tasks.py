# helper   
def total(items):
    total = 0   
    for it in items:
        total += it.price	
    return total
