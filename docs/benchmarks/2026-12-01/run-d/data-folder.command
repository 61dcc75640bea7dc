loadtests hot-lot --url http://127.0.0.1:17085 --mode closed --shoppers 100 --concurrency 64 --duration 720 --warm-up 3 --label embedded, durable: the data folder under hold changes
