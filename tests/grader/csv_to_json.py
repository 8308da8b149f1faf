# csv_to_json.py: a CSV file's records as a JSON array of arrays, read by
# Python's csv module (an RFC 4180 reader written apart from the grader's
# writer) with strict UTF-8 decoding, so the batch tests check the
# gradebook with a parser they did not write. Exit 1 on any error.
import csv
import json
import sys

with open(sys.argv[1], newline="", encoding="utf-8", errors="strict") as f:
    print(json.dumps(list(csv.reader(f, strict=True))))
