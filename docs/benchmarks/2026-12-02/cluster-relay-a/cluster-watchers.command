loadtests watchers --url http://127.0.0.1:17201,http://127.0.0.1:17202 --watchers 10000 --rate 200 --duration 20
