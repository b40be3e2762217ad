import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_add_lead_story_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="changed_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        # A story already there last changed when it was last updated; no ranking is stored yet to miss it.
        migrations.RunSQL("UPDATE articles_article SET changed_at = updated_at", migrations.RunSQL.noop),
        # Indexed after the update, so the update does not maintain the index row by row.
        migrations.AlterField(
            model_name="article",
            name="changed_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="article",
            name="related_ranking",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
