from django.apps import AppConfig


class BiddingConfig(AppConfig):
    name = "fazhi.bidding"
    label = "bidding"
    verbose_name = "远程异地评标"
