loadtests hot-lot --url http://127.0.0.1:17080 --mode closed --shoppers 100 --concurrency 64 --duration 15 --warm-up 3 --label embedded, in memory
