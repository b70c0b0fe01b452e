/* placeholder: replaced by the widget front end */ console.info("ponte widget");
