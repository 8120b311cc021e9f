"""The coordination app's part of API v1: partners' records and coordination meetings' writes."""
