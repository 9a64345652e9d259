# gunicorn reads this file from the working directory. Its access log is off unless
# --access-logfile is given; when it is on, this format keeps the method, path and status but
# neither the query string (it is the search: a ZIP code, "medicaid"…) nor the client's address.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
