#!/usr/bin/env python3
"""Fills in scipy's answers for the committed KS samples in ks-reference.json.

Run from this folder with Debian's python3-scipy (`/usr/bin/python3 ks-reference.py`); the
TypeScript test compares ksTwoSample against the numbers written here, so rerun it after editing
the samples. For each case:
  statistic        scipy.stats.ks_2samp(a, b).statistic
  asympPValue      scipy.stats.ks_2samp(a, b, method='asymp').pvalue, i.e. kstwo.sf(D, round(ne))
  limitingPValue   scipy.stats.kstwobign.sf(sqrt(ne) * D), the Q_KS(sqrt(ne) * D) Capstan computes
"""
import json
import math
from pathlib import Path

import scipy
from scipy import stats

path = Path(__file__).with_name('ks-reference.json')
reference = json.loads(path.read_text())
for case in reference['cases']:
    a, b = case['a'], case['b']
    result = stats.ks_2samp(a, b, method='asymp')
    ne = len(a) * len(b) / (len(a) + len(b))
    case['statistic'] = float(result.statistic)
    case['asympPValue'] = float(result.pvalue)
    case['limitingPValue'] = float(stats.kstwobign.sf(math.sqrt(ne) * result.statistic))
reference['scipy'] = scipy.__version__


def case_lines(case):
    # One field per line, samples kept on a single line so the file stays readable.
    fields = [f'      {json.dumps(key)}: {json.dumps(value)}' for key, value in case.items()]
    return '    {\n' + ',\n'.join(fields) + '\n    }'


cases = ',\n'.join(case_lines(case) for case in reference['cases'])
path.write_text('{\n  "scipy": ' + json.dumps(reference['scipy']) + ',\n  "cases": [\n' + cases + '\n  ]\n}\n')
