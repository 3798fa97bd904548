from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0003_credential_explanations"),
    ]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="queued_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
