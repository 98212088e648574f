from django.urls import path

from . import views

app_name = "valgomat"

urlpatterns = [
    path("", views.questionnaire, name="questionnaire"),
    path("resultat/", views.result, name="result"),
    path("resultat.json", views.result_json, name="result_json"),
]
