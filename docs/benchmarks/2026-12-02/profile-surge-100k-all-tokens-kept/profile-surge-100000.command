loadtests opening-surge --url http://127.0.0.1:17080 --shoppers 100000 --quantity 1000 --arrival 2 --connections 1024 --request-timeout 30 --max-run 1800
