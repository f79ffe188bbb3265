"""A usual week saved before weeks were bounded keeps its first three runs a day (the core's MAX_RUNS_PER_DAY).

Before, PUT /api/v1/me/settings took any number of runs, and a week of thousands made every page that plans it
take half a minute; the week is read through the bounded parser now, so such a week must be brought within it.
"""

from django.db import migrations

RUNS_PER_DAY = 3  # the core's MAX_RUNS_PER_DAY when this was written; a migration keeps its own copy


def keep_three_runs_a_day(apps, schema_editor):
    settings_model = apps.get_model("training", "RunnerSettings")
    for record in settings_model.objects.only("id", "runs").iterator():
        runs = record.runs if isinstance(record.runs, list) else []
        if len(runs) <= RUNS_PER_DAY:
            continue
        seen = {}
        kept = []
        for run in runs:
            day = str(run).split(":", 1)[0].strip().lower()
            seen[day] = seen.get(day, 0) + 1
            if seen[day] <= RUNS_PER_DAY:
                kept.append(run)
        if len(kept) != len(runs):
            settings_model.objects.filter(pk=record.pk).update(runs=kept)


class Migration(migrations.Migration):
    dependencies = [("training", "0005_runner_time_zone")]

    operations = [migrations.RunPython(keep_three_runs_a_day, migrations.RunPython.noop)]
