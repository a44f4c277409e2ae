"""The audit log names the road each change came by (admin, API, CLI, feed, worker…)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0003_editors_rate")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="via",
            field=models.CharField(
                blank=True,
                help_text="The road the change came by: admin, api, cli, feed, worker, scheduler",
                max_length=10,
            ),
        ),
    ]
