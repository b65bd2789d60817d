"""Write stage: charts (matplotlib), the .pptx (python-pptx) and LibreOffice export."""
