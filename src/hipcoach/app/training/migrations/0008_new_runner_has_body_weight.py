# A new runner's equipment defaults to body weight only ([]), not everything: the onboarding asks what they have.
# Django keeps a field's default in Python, not in the table, so this changes the migration state alone: no table
# is rebuilt and no stored settings change (a runner's saved equipment stays what they chose).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0007_reminder_within_a_day'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='runnersettings',
                    name='equipment',
                    field=models.JSONField(
                        blank=True, default=list, help_text='Equipment at hand; [] body weight; null all.', null=True
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
