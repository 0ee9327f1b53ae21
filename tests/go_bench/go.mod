module goscope/go_bench

go 1.19
