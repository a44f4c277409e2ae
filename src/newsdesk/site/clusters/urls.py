from django.urls import path

from newsdesk.site.clusters import views

app_name = "clusters"
urlpatterns = [path("cluster/<slug:slug>/", views.cluster_detail, name="detail")]
