"""The editors' desk in the Django admin: stories, their workflow, copy in, bullets, revisions.

The logic lives in ``newsdesk.site.desk`` (services, copy, revisions); this ModelAdmin decides
who sees which button and turns errors into messages.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from newsdesk.site.desk import services as workflow
from newsdesk.site.desk.changes import Before, describe
from newsdesk.site.desk.copy import CopyError, regenerate_bullets, story_sentences, struck
from newsdesk.site.desk.editor import StoryForm, allow_editor
from newsdesk.site.desk.models import AuditEntry
from newsdesk.site.desk.revisions import restore, timeline
from newsdesk.site.desk.trail import record
from newsdesk.site.ingestion.copy import from_copy
from newsdesk.site.ingestion.limits import max_upload_bytes, over_limit
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.bylines import link_authors
from newsdesk.site.stories.models import (
    Caption,
    Edition,
    QuickLookBullet,
    Section,
    Story,
    StoryAuthor,
    StorySection,
)


class UnsortedFilter(admin.SimpleListFilter):
    """The desk's Unsorted queue: stories no section (feed mapping or label) placed."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [("unsorted", "Unsorted (no section)")] + [
            (str(s.pk), s.name) for s in Section.objects.all()
        ]

    def queryset(self, request, queryset):
        if self.value() == "unsorted":
            return queryset.filter(sections=None)
        if self.value():
            return queryset.filter(sections=self.value())
        return queryset


class StorySectionInline(admin.TabularInline):
    model = StorySection
    extra = 0


class StoryAuthorInline(admin.TabularInline):
    """The byline's authors in order; filled from the byline when it names them."""

    model = StoryAuthor
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "authors (linked from the byline when it names them)"


RECENT_EDITIONS = datetime.timedelta(days=14)  # the edition dropdown's reach back

# Links pasted without a scheme are https (Django 6's default, chosen now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CaptionInline(admin.TabularInline):
    """The story's photos in order: a photo from the library (search it by caption or
    credit), with the story's own caption and credit when they differ from the photo's."""

    model = Caption
    extra = 0
    fields = ["order", "photo", "text", "credit", "alt_text", "image_url"]
    autocomplete_fields = ["photo"]
    formfield_overrides = URL_FIELDS


class BulletInline(admin.TabularInline):
    """Each bullet beside the story sentences it was written from; order by number."""

    model = QuickLookBullet
    extra = 1
    fields = ["order", "text", "sources", "cut", "locked"]
    readonly_fields = ["sources", "cut"]
    # One line a bullet (a bullet is a sentence), its source sentences beside it.
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"class": "bullet-text", "size": 80})}
    }
    _sentences: list[str] = []

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request, so this is this request's story.
        self._sentences = story_sentences(obj) if obj is not None else []
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="source sentences")
    def sources(self, bullet: QuickLookBullet) -> str:
        picked = [
            self._sentences[i]
            for i in bullet.source_sentences or []
            if isinstance(i, int) and 0 <= i < len(self._sentences)
        ]
        return " … ".join(picked) or "—"

    @admin.display(description="machine cut")
    def cut(self, bullet: QuickLookBullet) -> str:
        """For a bullet the machine compressed: its sentence with the cut words struck."""
        if not bullet.original:
            return "—"
        return format_html(
            '<span class="bullet-compressed" title="compressed by the machine">'
            "<strong>Compressed</strong>: {}</span>",
            struck(bullet.original, bullet.text),
        )


class CopyForm(forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.all(), help_text="The desk the draft goes to (it can have more later)."
    )
    copy = forms.CharField(
        label="Pasted copy", required=False, widget=forms.Textarea(attrs={"rows": 18, "cols": 90})
    )
    upload = forms.FileField(label="…or an HTML page or text file", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A desk with no sections yet makes drafts without one (the Unsorted queue).
        self.fields["section"].required = Section.objects.exists()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and (problem := over_limit(upload.name, upload.size)):
            raise ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("copy") or "").strip() and not data.get("upload") and not self.errors:
            raise ValidationError("Paste the story's text or upload a file.")
        return data


TRANSITIONS = {
    "submit": (workflow.submit, "submitted for review"),
    "publish": (workflow.publish, "published"),
    "schedule": (None, "scheduled"),
    "unpublish": (workflow.unpublish, "unpublished"),
    "send_back": (workflow.send_back, "sent back to its writer"),
}


@admin.register(Story)
class StoryAdmin(VersionAdmin):
    form = StoryForm  # the body in a rich-text editor (desk.editor), not as JSON
    exclude = ["blocks"]
    view_on_site = False  # the desk's own "View on site", shown once and only when published
    list_display = ["headline", "status", "published_at", "edition", "created_by", "is_top_story"]
    list_filter = ["status", UnsortedFilter, "edition__period", "is_breaking", "is_featured"]
    autocomplete_fields = ["tags"]
    list_select_related = ["edition", "created_by"]
    search_fields = ["headline", "summary"]
    date_hierarchy = "published_at"
    inlines = [StorySectionInline, StoryAuthorInline, BulletInline, CaptionInline]
    formfield_overrides = URL_FIELDS
    change_form_template = "admin/stories/story/desk_change_form.html"
    change_list_template = "admin/stories/story/desk_change_list.html"
    actions = [
        "submit_selected",
        "publish_selected",
        "schedule_selected",
        "unpublish_selected",
        "regenerate_selected",
        "make_top_story",
    ]

    # --- who sees what ---------------------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if workflow.can_publish(request.user):
            return qs
        return qs.filter(created_by=request.user)  # a writer sees only their own stories

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_publish(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "edition":
            # Recent editions only (a story is filed in one of those), and the story's own.
            since = timezone.localdate() - RECENT_EDITIONS
            current = str(request.resolver_match.kwargs.get("object_id") or "")
            own = Story.objects.filter(pk=current).values("edition") if current.isdigit() else []
            kwargs["queryset"] = Edition.objects.filter(
                models.Q(date__gte=since) | models.Q(pk__in=own)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "body"]
        at = fields.index("deep_look_dateline") + 1 if "deep_look_dateline" in fields else 0
        return [*fields[:at], "body", *fields[at:]]

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "created_by"]
        if not workflow.can_publish(request.user):
            fields += ["published_at", "edition", "is_top_story", "is_breaking", "is_featured"]
        if obj is not None and (
            obj.status != Story.DRAFT or not workflow.can_publish(request.user)
        ):
            fields.append("slug")  # a story keeps its URL once it leaves the desk
        if obj is not None:
            from newsdesk.site.ratings.admin import story_rating

            fields.append(story_rating)  # average, count, distribution, link to feedback
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return (
            {"slug": ["headline"]} if "slug" not in self.get_readonly_fields(request, obj) else {}
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.can_publish(request.user):
            for name in [
                "publish_selected",
                "schedule_selected",
                "unpublish_selected",
                "make_top_story",
            ]:
                actions.pop(name, None)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # The story and each of its bullet rows are saved one by one: its search document is
        # written once, after the last of them, in the same transaction.
        with transaction.atomic(), search_index.deferred():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        if change:
            request.desk_before = Before.of(obj.pk)  # as stored: for saying what changed
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        authors_edited = any(fs.model is StoryAuthor and fs.has_changed() for fs in formsets)
        if "author" in form.changed_data and not authors_edited:
            link_authors(form.instance)  # a new byline names its authors; hand edits win
        # VersionAdmin keeps the revision (with this user, and this as its comment); the
        # audit log says the same, and how.
        before = getattr(request, "desk_before", None)
        request.desk_changes = changed = (
            describe(before, form.instance, form, formsets) if change and before else "created"
        )
        AuditEntry.objects.create(
            story=form.instance,
            headline=form.instance.headline[:300],
            action="edited" if change else "created",
            from_status=form.instance.status,
            to_status=form.instance.status,
            user=request.user,
            via="admin",
            note=changed[:300],
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if add or not hasattr(request, "desk_changes"):
            return super().construct_change_message(request, form, formsets, add)
        return request.desk_changes

    def delete_model(self, request, obj):
        record(obj, user=request.user, via="admin", action="deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            record(story, user=request.user, via="admin", action="deleted")
        super().delete_queryset(request, queryset)

    # django-reversion's own history views: its revert runs the change form on the old
    # version, which could hand the story to its old owner or status and which reversion
    # takes as done on any redirect. A POST there is our restore instead: content back,
    # workflow state and owner kept, a new revision and an audit entry.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not str(object_id).isdigit() or not str(version_id).isdigit():
            raise Http404(f"no story {object_id!r}")
        story = self._story(request, int(object_id))
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        return self.restore_view(request, story.pk, int(version_id))

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_publish(request.user):  # deleted stories are anyone's
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    # --- actions on the changelist ------------------------------------------------------
    def _each(self, request, queryset, move, done: str):
        ok = 0
        for story in queryset:
            try:
                move(story, request.user)
                ok += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, _message(exc), messages.ERROR)
        if ok:
            self.message_user(
                request, f"{ok} {'story' if ok == 1 else 'stories'} {done}.", messages.SUCCESS
            )

    @admin.action(description="Submit for review")
    def submit_selected(self, request, queryset):
        self._each(request, queryset, workflow.submit, "submitted for review")

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._each(request, queryset, workflow.publish, "published")

    @admin.action(description="Schedule at their publish time", permissions=["publish"])
    def schedule_selected(self, request, queryset):
        self._each(request, queryset, _schedule, "scheduled")

    @admin.action(description="Unpublish", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._each(request, queryset, workflow.unpublish, "unpublished")

    @admin.action(description="Regenerate bullets (keeps locked ones)", permissions=["change"])
    def regenerate_selected(self, request, queryset):
        self._each(request, queryset, _regenerate, "given new bullets")

    @admin.action(description="Make the top story of the front page", permissions=["publish"])
    def make_top_story(self, request, queryset):
        story = queryset.first()
        if queryset.count() != 1:
            self.message_user(request, "Pick exactly one story as the top story.", messages.ERROR)
            return
        with transaction.atomic():
            for other in Story.objects.filter(is_top_story=True).exclude(pk=story.pk):
                other.is_top_story = False
                other.save(update_fields=["is_top_story", "updated_at"])
                record(other, user=request.user, via="admin", action="no longer top")
            story.is_top_story = True
            story.save(update_fields=["is_top_story", "updated_at"])
            record(story, user=request.user, via="admin", action="made top story")
        self.message_user(request, f"“{story}” is the top story.", messages.SUCCESS)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    # --- desk views ---------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("from-copy/", wrap(self.from_copy_view), name="stories_story_from_copy"),
            path(
                "<int:pk>/workflow/<str:action>/",
                wrap(require_POST(self.workflow_view)),
                name="stories_story_workflow",
            ),
            path(
                "<int:pk>/regenerate/",
                wrap(require_POST(self.regenerate_view)),
                name="stories_story_regenerate",
            ),
            path("<int:pk>/revisions/", wrap(self.revisions_view), name="stories_story_revisions"),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="stories_story_restore",
            ),
        ] + super().get_urls()

    def _story(self, request, pk: int) -> Story:
        """The story if this user may see it (a writer: only their own), else 404."""
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _change_url(self, story: Story) -> str:
        return reverse("admin:stories_story_change", args=[story.pk])

    def from_copy_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CopyForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data.get("upload")
                try:
                    story = from_copy(
                        text=form.cleaned_data.get("copy") or "",
                        data=upload.read() if upload else None,
                        name=upload.name if upload else "<pasted copy>",
                        user=request.user,
                        section=form.cleaned_data.get("section"),
                    )
                except CopyError as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(
                        request,
                        f"Draft “{story}” created from the copy: check its bullets.",
                        messages.SUCCESS,
                    )
                    for problem in story.photo_problems:
                        self.message_user(request, problem.capitalize(), messages.WARNING)
                    return HttpResponseRedirect(self._change_url(story))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "New story from copy",
            "max_upload": max_upload_bytes(),
        }
        return TemplateResponse(
            request, "admin/stories/story/from_copy.html", context, status=status
        )

    def workflow_view(self, request, pk: int, action: str):
        story = self._story(request, pk)
        if action not in TRANSITIONS:
            raise Http404(f"no workflow step {action!r}")
        move, done = TRANSITIONS[action]
        try:
            if action == "schedule":
                _schedule(story, request.user)
            else:
                move(story, request.user)
        except ValidationError as exc:
            self.message_user(request, _message(exc), messages.ERROR)
            return HttpResponseRedirect(self._change_url(story))
        self.message_user(request, f"“{story}” {done}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(story))

    def regenerate_view(self, request, pk: int):
        story = self._story(request, pk)
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        try:
            bullets = regenerate_bullets(story, request.user)
        except CopyError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request, f"{len(bullets)} bullets now; locked ones kept.", messages.SUCCESS
            )
        return HttpResponseRedirect(self._change_url(story))

    def revisions_view(self, request, pk: int):
        story = self._story(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "story": story,
            "title": f"Revisions of “{story}”",
            "timeline": timeline(story),
            "can_restore": self.has_change_permission(request, story),
        }
        return TemplateResponse(request, "admin/stories/story/revisions.html", context)

    def restore_view(self, request, pk: int, version_id: int):
        story = self._story(request, pk)
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        try:
            restore(story, version_id, request.user)
        except Version.DoesNotExist as exc:
            raise Http404(f"story {pk} has no revision {version_id}") from exc
        self.message_user(request, "Revision restored.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(story))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            publisher = workflow.can_publish(user)
            steps = []
            if obj.status in (Story.DRAFT, Story.UNPUBLISHED) and workflow.can_edit(user, obj):
                steps.append(("submit", "Submit for review"))
            if publisher and obj.status == Story.REVIEW:
                steps.append(("send_back", "Send back to writer"))
            if publisher and obj.status != Story.PUBLISHED:
                steps.append(("publish", "Publish now"))
                if obj.published_at and obj.published_at > timezone.now():
                    steps.append(
                        (
                            "schedule",
                            f"Schedule for {timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}",
                        )
                    )
            if publisher and obj.status in (Story.PUBLISHED, Story.SCHEDULED):
                steps.append(("unpublish", "Unpublish"))
            context["workflow_steps"] = steps
            context["can_regenerate"] = self.has_change_permission(request, obj)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response.add_post_render_callback(allow_editor)
        return response


def _schedule(story: Story, user) -> Story:
    """Schedule at the story's own publish time, which must be in the future."""
    now = timezone.now()
    if not story.published_at or story.published_at <= now:
        raise ValidationError(f"set a future publish time on “{story}” before scheduling it")
    return workflow.publish(story, user, at=story.published_at, now=now)


def _regenerate(story: Story, user):
    if not workflow.can_edit(user, story):
        raise PermissionDenied(f"{user} may not edit “{story}”")
    try:
        return regenerate_bullets(story, user)
    except CopyError as exc:
        raise ValidationError(str(exc)) from exc


def _message(exc: Exception) -> str:
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
