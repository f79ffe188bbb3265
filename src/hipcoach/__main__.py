from hipcoach.cli import app

app()
