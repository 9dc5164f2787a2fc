"""The 需求澄清表 workbook: write a form a client can fill alone, read a filled one back, edit it in JupyterLab."""
