# check-results.jq: does a results.json follow its platform's field list?
# jq -e --arg platform gradescope|prairielearn -f check-results.jq FILE
# prints the problems found, one a line, and `ok` when there are none
# (the exit status is jq -e's: 0 only for ok). Field lists: Gradescope's
# autograder specification (top level and tests[]), PrairieLearn's
# external grading results (gradable, score in [0, 1], tests[]).
def is_num: type == "number";
def is_str: type == "string";
def keys_in($allowed; $where): keys - $allowed | map("\($where): unknown field \(.)") | .[];
def gradescope_visibility: . == null or (is_str and IN("hidden", "after_due_date", "after_published", "visible"));

def gradescope:
  (if (.score | is_num) or ((.tests | type) == "array" and all(.tests[]; .score | is_num)) then empty
   else "score: absent at the top and in some test" end),
  (if .execution_time == null or (.execution_time | is_num) then empty else "execution_time: not a number" end),
  (if .output == null or (.output | is_str) then empty else "output: not a string" end),
  (if .visibility | gradescope_visibility then empty else "visibility: \(.visibility)" end),
  (if .extra_data == null or (.extra_data | type) == "object" then empty else "extra_data: not an object" end),
  (if (.tests | type) == "array" then empty else "tests: not an array" end),
  keys_in(["score", "execution_time", "output", "output_format", "test_output_format",
           "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
           "leaderboard"]; "top level"),
  (.tests // [] | to_entries[] | .key as $i | .value |
     (if (.score | is_num) and (.max_score | is_num) then empty else "tests[\($i)]: score or max_score not a number" end),
     (if .status == null or (.status | IN("passed", "failed")) then empty else "tests[\($i)]: status \(.status)" end),
     (if .name | is_str then empty else "tests[\($i)]: no name" end),
     (if .number == null or (.number | is_str) then empty else "tests[\($i)]: number not a string" end),
     (if .output == null or (.output | is_str) then empty else "tests[\($i)]: output not a string" end),
     (if .tags == null or ((.tags | type) == "array" and all(.tags[]; is_str)) then empty else "tests[\($i)]: tags" end),
     (if .visibility | gradescope_visibility then empty else "tests[\($i)]: visibility \(.visibility)" end),
     keys_in(["score", "max_score", "status", "name", "name_format", "number", "output",
              "output_format", "tags", "visibility", "extra_data"]; "tests[\($i)]"));

def prairielearn:
  (if .gradable | type == "boolean" then empty else "gradable: not a boolean" end),
  (if (.score | is_num) and .score >= 0 and .score <= 1 then empty else "score: not in [0, 1]" end),
  (if .message == null or (.message | is_str) then empty else "message: not a string" end),
  (if .output == null or (.output | is_str) then empty else "output: not a string" end),
  (if .tests == null or (.tests | type) == "array" then empty else "tests: not an array" end),
  keys_in(["gradable", "score", "message", "output", "images", "tests", "extra_data"]; "top level"),
  (.tests // [] | to_entries[] | .key as $i | .value |
     (if .name | is_str then empty else "tests[\($i)]: no name" end),
     (if (.points | is_num) and (.max_points | is_num) then empty else "tests[\($i)]: points or max_points not a number" end),
     (if .message == null or (.message | is_str) then empty else "tests[\($i)]: message not a string" end),
     (if .output == null or (.output | is_str) then empty else "tests[\($i)]: output not a string" end),
     keys_in(["name", "description", "points", "max_points", "bonus_points", "message",
              "output", "images"]; "tests[\($i)]"));

[if $platform == "gradescope" then gradescope else prairielearn end] as $problems
| if ($problems | length) == 0 then "ok", true else ($problems[], false) end
