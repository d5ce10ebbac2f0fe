from pkg.a import A
B = A * 3
