"""The bare endpoint at full speed for a few seconds: how many requests per second the server itself
can answer with no database and no application logic, measured with the same generator as the run."""

from locust import FastHttpUser, constant, task


class Hello(FastHttpUser):
    wait_time = constant(0)

    @task
    def hello(self) -> None:
        self.client.get("/healthz/live", name="/healthz/live")
