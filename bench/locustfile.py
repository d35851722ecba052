"""The same user mix as bench/load.py, for locust (pip install .[bench]).

    .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000

Start the server first (`practicebank serve`, which listens on 127.0.0.1 only by default).
POST /api/v1/recommend is rate-limited to 60/minute per IP: keep recommend users few.
"""
import random

from locust import HttpUser, between, task

QUERIES = ["kindergarten", "clinic appointment", "school meals", "traffic", "waste", "tourism portal",
           "электронная очередь", "transport card", "museum tickets", "telemedicine"]
PLANS = ["online enrolment in kindergartens with queue tracking", "appointment booking for clinics",
         "public transport fare payment by card", "monitoring of waste collection trucks"]


class Visitor(HttpUser):
    wait_time = between(0, 0.1)

    def on_start(self):
        body = self.client.get("/api/v1/projects?per_page=100").json()
        self.ids = [p["id"] for p in body.get("results", [])] or ["missing"]

    @task(10)
    def search(self):
        self.client.get("/search", params={"q": random.choice(QUERIES)}, name="/search")

    @task(10)
    def passport(self):
        self.client.get(f"/projects/{random.choice(self.ids)}", name="/projects/<id>")


class Planner(HttpUser):
    wait_time = between(1, 2)
    weight = 1

    @task
    def recommend(self):
        self.client.post("/api/v1/recommend", json={"text": random.choice(PLANS)}, name="/api/v1/recommend")
