{"resource": {"azurerm_role_assignment": {"x": {"condition": "y"}}}}
