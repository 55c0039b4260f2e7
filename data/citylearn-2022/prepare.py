#!/usr/bin/python3
"""Derives households.csv, the measured series of scenarios/measured/ieee3-equity-measured.toml,
from the CityLearn Challenge 2022 homes (README.md says what and why).

usage: /usr/bin/python3 data/citylearn-2022/prepare.py SOURCE_DIR [-o households.csv]

SOURCE_DIR holds building_1.csv … building_17.csv with the columns month, hour (1-24, the hour
ending then), day_type, non_shiftable_load_kwh, solar_generation_w_per_kw.
"""

import argparse
import csv
import os
import statistics

HOMES = range(1, 18)
DAYS = 365


def read_home(source, n):
    with open(os.path.join(source, f"building_{n}.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != DAYS * 24:
        raise SystemExit(f"building_{n}.csv: {len(rows)} rows, expected {DAYS * 24}")
    # Row 0 is hour 24 of 31 July (the hour 23-24 h), the day before the series' first whole day;
    # rows 1 … 8759 run from 1 August 00-01 h to 31 July 22-23 h. Moving row 0 to the end makes 365
    # whole days, 1 August to 31 July; the one hour moved is 31 July 23-24 h of the same home.
    rows = rows[1:] + rows[:1]
    return ([float(r["non_shiftable_load_kwh"]) for r in rows],
            [float(r["solar_generation_w_per_kw"]) for r in rows],
            [int(r["month"]) for r in rows])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("source")
    p.add_argument("-o", "--output", default=os.path.join(os.path.dirname(__file__),
                                                          "households.csv"))
    a = p.parse_args()
    homes = {n: read_home(a.source, n) for n in HOMES}
    # Income terciles by consumption (larger homes, higher incomes): the 6 smallest mean daily
    # loads, the next 6 and the 5 largest.
    by_load = sorted(HOMES, key=lambda n: sum(homes[n][0]))
    groups = {"low": by_load[:6], "middle": by_load[6:12], "high": by_load[12:]}
    months = homes[1][2]
    with open(a.output, "w", newline="") as f:
        f.write("# Derived from the CityLearn Challenge 2022 dataset (MIT licence, LICENSE-CITYLEARN;\n"
                "# doi:10.18738/T8/0YLJ6Q) by prepare.py: see README.md. Hour h is h:00-h+1:00.\n")
        for name, members in groups.items():
            f.write(f"# {name}_kwh: mean of homes {', '.join(map(str, sorted(members)))}\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["day", "month", "hour", "low_kwh", "middle_kwh", "high_kwh",
                    "pv_capacity_factor"])
        for i in range(DAYS * 24):
            loads = [sum(homes[n][0][i] for n in members) / len(members)
                     for members in groups.values()]
            # The median home's PV output per kW installed (W/kW → kW/kW): two homes (14, 15)
            # yield a fraction of the others', shaded or faulty; the median ignores them.
            pv = statistics.median(homes[n][1][i] for n in HOMES) / 1000.0
            w.writerow([i // 24, months[i], i % 24, *(f"{x:.6g}" for x in loads), f"{pv:.6g}"])


if __name__ == "__main__":
    main()
