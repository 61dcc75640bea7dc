loadtests marketplace --url http://127.0.0.1:17201,http://127.0.0.1:17202 --lots 1000 --watchers 2000 --shoppers 2000 --rate 300 --duration 30 --threshold metric:staleness.p99_ms<=250
