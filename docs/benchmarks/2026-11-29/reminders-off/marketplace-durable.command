loadtests marketplace --url http://127.0.0.1:17081 --lots 50 --shoppers 2000 --rate 300 --duration 30
