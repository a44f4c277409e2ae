"""Photos stored by the site: the photo library, and a story's captions pointing to its photos."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_tags_and_page_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="caption",
            options={"ordering": ["order", "id"], "verbose_name": "photo"},
        ),
        migrations.AlterField(
            model_name="caption",
            name="text",
            field=models.TextField(blank=True, help_text="Empty: the photo's own caption."),
        ),
        migrations.CreateModel(
            name="Photo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.ImageField(
                        height_field="height",
                        help_text="JPEG, PNG, WebP or GIF; sized copies are made on save.",
                        upload_to="photos/%Y/%m/",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "caption",
                    models.TextField(
                        blank=True, help_text="What the photo shows, as readers see it."
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True, help_text="e.g. Photo: Jane Doe / AP", max_length=300
                    ),
                ),
                (
                    "licence",
                    models.CharField(blank=True, help_text="e.g. CC BY 2.0", max_length=200),
                ),
                (
                    "licence_url",
                    models.URLField(blank=True, max_length=500, verbose_name="licence link"),
                ),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text="For readers who cannot see it; empty: the caption.",
                        max_length=300,
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        help_text="Where it was fetched from, if it was.",
                        max_length=1000,
                    ),
                ),
                ("renditions", models.JSONField(blank=True, default=list, editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["source_url"], name="photo_source_url")],
            },
        ),
        migrations.AddField(
            model_name="caption",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="captions",
                to="stories.photo",
            ),
        ),
    ]
