"""The calendar reminder's column states its bounds as the other settings' do (0 to 1440 minutes, the settings'
table): validators only, the database's column is as it was. The settings' check and the import held it to them
before, so no saved value lies outside."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0006_usual_week_within_limits'),
    ]

    operations = [
        migrations.AlterField(
            model_name='runnersettings',
            name='reminder_minutes',
            field=models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1440)]),
        ),
    ]
