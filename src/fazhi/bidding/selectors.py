"""远程异地评标 read queries."""
