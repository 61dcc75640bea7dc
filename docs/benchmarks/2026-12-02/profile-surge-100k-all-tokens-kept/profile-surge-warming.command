loadtests hot-lot --url http://127.0.0.1:17080 --mode closed --shoppers 200 --concurrency 64 --duration 20 --warm-up 3
