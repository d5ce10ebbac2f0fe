class Shape:
    def describe(self):
        if self.sides == 0:
            return "circle"
        if self.sides == 3:
            return "triangle"
        return f"{self.sides}-gon"
