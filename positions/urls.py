from django.urls import path

from . import views

app_name = "positions"

urlpatterns = [
    path("", views.home, name="home"),
    path("parti/<slug:organisation>/", views.organisation_detail, name="organisation"),
    path("parti/<slug:organisation>/tema/<slug:topic>/", views.cell, name="cell"),
    path("parti/<slug:organisation>/kilder/", views.organisation_sources_list, name="organisation_sources"),
    path("parti/<slug:organisation>/lag/", views.organisation_branches_list, name="organisation_branches"),
    path("tema/<slug:topic>/", views.topic_detail, name="topic"),
    path("kilde/<slug:source>/", views.source_detail, name="source"),
    path("sammenlign/", views.compare, name="compare"),
    path("sok/", views.search, name="search"),
    path("eksport.csv", views.export_csv, name="export_csv"),
    path("eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("eksport.json", views.export_json, name="export_json"),
    path("datapakke.json", views.data_package, name="data_package"),
    path("om/", views.about, name="about"),
    path("metode/", views.method, name="method"),
]
