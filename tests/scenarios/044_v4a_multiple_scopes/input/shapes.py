class Circle:
    def area(self):
        self.calls += 1
        return 3.14159 * self.r ** 2

    def grow(self):
        self.calls += 1
        self.r += 1


class Square:
    def area(self):
        self.calls += 1
        return self.side ** 2

    def grow(self):
        self.calls += 1
        self.side += 1
