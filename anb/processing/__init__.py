"""The processing-job lifecycle of an uploaded video: leases on the video row, the job that runs the
ffmpeg pipeline, the workers that run jobs (embedded or Celery), the sweeper and the operator commands.

``anb.videos`` owns the player's upload API and the video row; this package owns what happens to the
row between "uploaded" and "processed" or "failed". ``anb.ffmpeg`` is the pure ffmpeg pipeline it calls.
"""
