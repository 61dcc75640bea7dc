loadtests opening-surge --url http://127.0.0.1:17083 --shoppers 20000 --quantity 1000 --arrival 2 --label fresh process (default)
