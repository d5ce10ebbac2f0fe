# helper   
def total(items):
    total = 0.0
    for it in items:
        total += it.price * it.quantity
    return total
