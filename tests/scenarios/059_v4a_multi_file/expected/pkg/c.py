from pkg.a import A

C = A + 1
