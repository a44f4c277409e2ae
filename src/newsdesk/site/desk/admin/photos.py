"""The desk's photo library: editors upload photos with caption, credit, licence and alt text.

An upload is checked as a fetched photo is (``stories.photos.check_image``: no SVG, no
decompression bomb, JPEG/PNG/WebP/GIF only, under the upload limit) and its renditions are
made on save. A story shows library photos through its ordered photo inline (Caption).
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.html import format_html

from newsdesk.site.ingestion.limits import over_limit
from newsdesk.site.stories.models import Photo
from newsdesk.site.stories.photos import PhotoError, check_image, make_renditions


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "licence", "licence_url", "alt_text"]
        # Links pasted without a scheme are https (Django 6's default, chosen now).
        field_classes = {"licence_url": partial(forms.URLField, assume_scheme="https")}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):  # a new upload, not the stored file
            too_big = over_limit(image.name, image.size)
            if too_big:
                raise forms.ValidationError(too_big)
            image.seek(0)
            try:
                check_image(image.read(), image.name)
            except PhotoError as exc:
                raise forms.ValidationError(str(exc)) from exc
            image.seek(0)
        return image


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "short_caption", "credit", "licence", "size", "used", "created_at"]
    search_fields = ["caption", "credit", "alt_text", "licence"]  # also the story inline's search
    readonly_fields = ["preview", "size", "source_url"]
    fields = [
        "image",
        "preview",
        "caption",
        "alt_text",
        "credit",
        "licence",
        "licence_url",
        "size",
        "source_url",
    ]

    def get_queryset(self, request):
        uses = models.Count("captions")
        return super().get_queryset(request).annotate(uses=uses).order_by("-created_at", "-id")

    @admin.display(description="photo")
    def thumbnail(self, obj: Photo):
        small = obj.renditions[0]["jpeg"] if obj.renditions else obj.image.name
        return format_html(
            '<img src="{}" alt="" width="96" style="height:auto">', obj.image.storage.url(small)
        )

    @admin.display(description="preview")
    def preview(self, obj: Photo):
        if not obj.pk:
            return "—"
        return format_html('<img src="{}" alt="" width="320" style="height:auto">', obj.src)

    @admin.display(description="caption")
    def short_caption(self, obj: Photo) -> str:
        return (obj.caption or obj.image.name)[:90]

    @admin.display(description="pixels")
    def size(self, obj: Photo) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description="stories", ordering="uses")
    def used(self, obj: Photo) -> int:
        return getattr(obj, "uses", 0)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data or not obj.renditions:
            make_renditions(obj)
