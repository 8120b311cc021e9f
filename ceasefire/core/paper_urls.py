"""Meeting papers (briefs, memos, their ZIP): namespace ``papers``, mounted at /papers/."""

from django.urls import path

from . import paper_views as views

app_name = "papers"

urlpatterns = [
    path("meetings/<int:pk>/", views.panel, name="panel"),
    path("meetings/<int:pk>/prepare/<str:kind>/", views.prepare, name="prepare"),
    path("meetings/<int:pk>/all.zip", views.archive, name="archive"),
    path("<int:pk>/download/", views.download, name="download"),
]
