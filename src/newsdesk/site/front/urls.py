"""Reader-facing URLs. The namespace stays ``stories:`` (every template and reverse names it)."""

from django.urls import path

from newsdesk.site.front import views

app_name = "stories"
urlpatterns = [
    path("", views.home, name="home"),
    path("story/<slug:slug>/", views.story_detail, name="detail"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("editions/", views.edition_list, name="editions"),
    path("edition/<str:day>/<str:period>/", views.edition_detail, name="edition"),
]
