module basebench.local/hello

go 1.21
