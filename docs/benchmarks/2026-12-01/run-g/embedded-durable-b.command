loadtests hot-lot --url http://127.0.0.1:17084 --mode closed --shoppers 100 --concurrency 64 --duration 15 --warm-up 3 --label embedded, durable (Garnet, fsync every commit)
