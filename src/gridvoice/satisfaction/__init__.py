"""satisfaction"""
